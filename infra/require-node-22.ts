/**
 * zero-cache's initial sync can hang before Node 22, and Node 20 has no WebSocket for the Zero
 * client in tests. npm scripts run the `node` package's Node 22 (docs/adr/0002-node-22-from-npm.md);
 * calling a script's command directly with the machine's Node would not.
 */
export function requireNode22(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    throw new Error(`RestartiX needs Node 22 or newer; this is ${process.version}. Run it through npm (npm start, npm test), which uses the project's Node 22.`);
  }
}
