import { describe, expect, it } from 'vitest';
import { canonicalContent, entryHash, type CanonicalEntry } from './canonical.ts';
import { verifyChains, type ChainRecord, type StoredEntry } from './verify-chains.ts';

const ORG = '0b7c5c0e-5f0e-4c39-9a53-1c3f6a0f0a01';

function base(id: number, seq: number): CanonicalEntry {
  return {
    id: String(id), organization_id: ORG, chain_seq: String(seq), prev_id: null, prev_hash: null,
    occurred_at: `2026-11-0${String(seq)}T10:00:00.000000Z`, request_id: `req-${String(id)}`,
    actor_principal_id: 'a7d1b2c3-0000-4000-8000-000000000001', subject_principal_id: null, break_glass_session_id: null,
    action: 'location.updated', entity_type: 'location', entity_id: `loc-${String(id)}`, write_id: null, outcome: 'success',
    error_code: null, ip_address: '127.0.0.1/32', user_agent: 'Mozilla/5.0', changes: '{"name": "Centru"}', diff: null,
  };
}

/** A correct chain of `n` entries (ids 10, 20, …), and its head record. */
function chain(n: number, chainKey = ORG): { entries: StoredEntry[]; record: ChainRecord } {
  const entries: StoredEntry[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const previous = entries.at(-1);
    const entry = { ...base(seq * 10, seq), organization_id: chainKey === 'platform' ? null : chainKey, prev_id: previous?.id ?? null, prev_hash: previous?.entry_hash ?? null };
    entries.push({ ...entry, entry_hash: entryHash(entry) });
  }
  const last = entries.at(-1);
  return {
    entries,
    record: {
      chainKey, lastSeq: BigInt(n), lastId: last?.id ?? '', lastHash: last?.entry_hash ?? '',
      archivedThroughSeq: null, archivedThroughId: null, archivedThroughHash: null,
    },
  };
}

const rehash = (entry: CanonicalEntry): StoredEntry => ({ ...entry, entry_hash: entryHash(entry) });
const summary = (findings: ReturnType<typeof verifyChains>['findings']) => findings.map((f) => `${f.kind} ${f.chain} #${f.seq} id ${String(f.id)}`);

describe('the canonical content', () => {
  it('prefixes every field with its UTF-8 length and marks nulls, so no two entries read alike', () => {
    const text = canonicalContent({ ...base(1, 1), request_id: 'ă|b' });
    expect(text.split('\n')[0]).toBe('restartix.audit.v1');
    expect(text).toContain('\n4:ă|b\n');
    expect(text.split('\n')[4]).toBe('~');
    // Moving a separator between two fields changes the content.
    const a = canonicalContent({ ...base(1, 1), entity_type: 'ab', entity_id: 'c' });
    const b = canonicalContent({ ...base(1, 1), entity_type: 'a', entity_id: 'bc' });
    expect(a).not.toBe(b);
  });
});

describe('verifyChains', () => {
  it('finds nothing wrong with intact chains', () => {
    const alpha = chain(4);
    const platform = chain(2, 'platform');
    expect(verifyChains([alpha.record, platform.record], [...alpha.entries, ...platform.entries])).toEqual({ findings: [], chains: 2, entries: 6 });
  });

  it('names an entry whose content was changed', () => {
    const { entries, record } = chain(4);
    entries[1] = { ...entries[1]!, action: 'location.created' };
    expect(summary(verifyChains([record], entries).findings)).toEqual([`altered ${ORG} #2 id 20`]);
  });

  it('names an entry changed and re-hashed: its successor no longer links to it', () => {
    const { entries, record } = chain(4);
    entries[1] = rehash({ ...entries[1]!, entity_id: 'elsewhere' });
    const { findings } = verifyChains([record], entries);
    expect(summary(findings)).toEqual([`altered ${ORG} #3 id 30`]);
    expect(findings[0]?.reason).toContain('id 20');
  });

  it('names a removed entry by the id its successor kept', () => {
    const { entries, record } = chain(4);
    entries.splice(1, 1);
    expect(summary(verifyChains([record], entries).findings)).toEqual([`removed ${ORG} #2 id 20`]);
  });

  it('names a removed last entry by the chain\'s head', () => {
    const { entries, record } = chain(3);
    entries.pop();
    expect(summary(verifyChains([record], entries).findings)).toEqual([`removed ${ORG} #3 id 30`]);
  });

  it('names a removed run of entries, each by its place', () => {
    const { entries, record } = chain(5);
    entries.splice(1, 2);
    expect(summary(verifyChains([record], entries).findings)).toEqual([`removed ${ORG} #2 id null`, `removed ${ORG} #3 id 30`]);
  });

  it('names an entry inserted with a number already taken, even with a valid hash of its own', () => {
    const { entries, record } = chain(3);
    const forged = rehash({ ...entries[1]!, id: '99', entity_id: 'forged' });
    entries.splice(2, 0, forged);
    expect(summary(verifyChains([record], entries).findings)).toEqual([`inserted ${ORG} #2 id 99`]);
  });

  it('names an entry appended after the chain\'s head, and one in a chain the database never started', () => {
    const { entries, record } = chain(2);
    const last = entries.at(-1)!;
    entries.push(rehash({ ...base(99, 3), prev_id: last.id, prev_hash: last.entry_hash }));
    const stray = rehash({ ...base(77, 1), organization_id: '11111111-2222-4333-8444-555555555555' });
    const { findings } = verifyChains([record], [...entries, stray]);
    expect(summary(findings)).toEqual([`inserted ${ORG} #3 id 99`, 'inserted 11111111-2222-4333-8444-555555555555 #1 id 77']);
  });

  it('names a chain emptied entirely', () => {
    const { record } = chain(2);
    expect(summary(verifyChains([record], []).findings)).toEqual([`removed ${ORG} #1 id null`, `removed ${ORG} #2 id 20`]);
  });

  it('starts a chain at its archive checkpoint after old partitions were detached', () => {
    const { entries, record } = chain(4);
    const archived = entries.splice(0, 2);
    const checkpointed = { ...record, archivedThroughSeq: 2n, archivedThroughId: archived[1]!.id, archivedThroughHash: archived[1]!.entry_hash };
    expect(verifyChains([checkpointed], entries).findings).toEqual([]);
    // Without the checkpoint, the missing start is reported; with a wrong one, the link is.
    expect(summary(verifyChains([record], entries).findings)).toEqual([`removed ${ORG} #1 id null`, `removed ${ORG} #2 id 20`]);
    const wrong = { ...checkpointed, archivedThroughHash: archived[0]!.entry_hash };
    expect(summary(verifyChains([wrong], entries).findings)).toEqual([`altered ${ORG} #3 id 30`]);
  });
});
