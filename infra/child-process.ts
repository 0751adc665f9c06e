import { spawn, type ChildProcess } from 'node:child_process';

export type Child = { process: ChildProcess; stop: () => Promise<void> };

/** Spawns a child that dies with us and stops politely (SIGTERM, then SIGKILL after a grace period). */
export function startChild(
  command: string,
  args: string[],
  options: { env: Record<string, string | undefined>; log: (line: string) => void; graceMs?: number },
): Child {
  const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') options.log(line);
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => { resolve(); });
  });
  const killOnExit = () => { child.kill('SIGKILL'); };
  process.once('exit', killOnExit);
  return {
    process: child,
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls until `probe` succeeds, or fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child !== undefined && child.process.exitCode !== null) throw new Error(`${what}: process exited with ${String(child.process.exitCode)}`);
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${String(timeoutMs)} ms waiting for ${what}`);
}
