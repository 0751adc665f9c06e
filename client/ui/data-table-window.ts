/**
 * When a virtualised list should ask for its next page: once a row within `threshold` rows of the
 * end is on screen, and only once per length of the list (a page that is on its way, or the last
 * one, is not asked for again).
 */
export function shouldLoadMore(lastVisibleIndex: number | undefined, rowCount: number, requestedAtCount: number | null, threshold = 5): boolean {
  if (lastVisibleIndex === undefined || rowCount === 0) return false;
  if (requestedAtCount === rowCount) return false;
  return lastVisibleIndex >= rowCount - 1 - threshold;
}
