/**
 * When the focused control disappears (a closed location loses its buttons), focus falls to
 * <body> and keyboard users lose their place: put it on `fallback`, else the page title.
 */
export function restoreFocusIfLost(fallback: HTMLElement | null = null): void {
  const active = document.activeElement;
  if (active !== null && active !== document.body && active.isConnected) return;
  (fallback ?? document.querySelector<HTMLElement>('main h1'))?.focus();
}
