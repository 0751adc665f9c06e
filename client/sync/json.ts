import type { ReadonlyJSONObject, ReadonlyJSONValue } from '@rocicorp/zero';

export function isJsonValue(value: unknown): value is ReadonlyJSONValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return isJsonObject(value);
}

export function isJsonObject(value: unknown): value is ReadonlyJSONObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every((field) => field === undefined || isJsonValue(field));
}

/**
 * Mutator arguments as plain JSON, the way IndexedDB stores them and Zero sends them: keys whose
 * value is undefined are dropped, so a replay sends exactly what was first sent.
 */
export function toJsonObject(value: object): ReadonlyJSONObject {
  const out: Record<string, ReadonlyJSONValue> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    if (!isJsonValue(field)) throw new TypeError(`argument ${key} is not JSON`);
    out[key] = field;
  }
  return out;
}
