// Build-time settings read by the client; Vite inlines them from VITE_* environment variables.
interface ImportMetaEnv {
  readonly VITE_ZERO_DISCONNECT_TIMEOUT_MS?: string;
}
