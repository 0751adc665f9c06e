import { entryHash, type CanonicalEntry } from './canonical.ts';

/**
 * Walks audit chains and names every entry that was altered, inserted or removed behind the
 * database's back. Pure: it is given the entries (their columns as text, `AUDIT_FIELD_SQL`) and the
 * chain records (audit_chains) and recomputes every hash itself, so a changed trigger or function in
 * the database cannot vouch for a changed log.
 *
 * A chain is one organisation's entries, or the platform's (organization_id null, key `platform`).
 * Its entries must be numbered 1, 2, 3… (from just after its archive checkpoint, when old partitions
 * were detached) up to its head, each linking to the previous one by id and hash and each matching
 * the hash of its own content; the head must be the last entry.
 */

/** An entry as read for verification: the canonical fields plus the stored hash. */
export type StoredEntry = CanonicalEntry & { entry_hash: string };

/** A chain's record in audit_chains; hashes as lowercase hex. */
export type ChainRecord = {
  chainKey: string;
  lastSeq: bigint;
  lastId: string;
  lastHash: string;
  archivedThroughSeq: bigint | null;
  archivedThroughId: string | null;
  archivedThroughHash: string | null;
};

export type FindingKind = 'altered' | 'inserted' | 'removed';

export type Finding = {
  kind: FindingKind;
  chain: string;
  /** The entry's id; for a removed entry, as its successor (or the chain's head) names it, when it does. */
  id: string | null;
  seq: string;
  reason: string;
};

export const PLATFORM_CHAIN = 'platform';

export function chainKeyOf(entry: Pick<CanonicalEntry, 'organization_id'>): string {
  return entry.organization_id ?? PLATFORM_CHAIN;
}

type Link = { id: string; hash: string };

/**
 * One chain, fed its entries in order of (chain_seq, id). Streaming, so a chain of millions of
 * entries is walked in constant memory.
 */
export class ChainWalker {
  readonly findings: Finding[] = [];
  readonly #chainKey: string;
  readonly #chain: ChainRecord | undefined;
  #expected: bigint;
  /** What the next entry must link to; null before the first entry; 'unknown' after a gap. */
  #previous: Link | null | 'unknown';
  #group: StoredEntry[] = [];
  #groupSeq: bigint | null = null;
  #entries = 0;

  constructor(chainKey: string, chain: ChainRecord | undefined) {
    this.#chainKey = chainKey;
    this.#chain = chain;
    const checkpoint = chain?.archivedThroughSeq ?? null;
    this.#expected = checkpoint === null ? 1n : checkpoint + 1n;
    this.#previous = checkpoint === null || chain?.archivedThroughId == null || chain.archivedThroughHash == null
      ? null
      : { id: chain.archivedThroughId, hash: chain.archivedThroughHash };
  }

  get entries(): number {
    return this.#entries;
  }

  push(entry: StoredEntry): void {
    this.#entries += 1;
    const seq = parseSeq(entry.chain_seq);
    if (this.#groupSeq !== null && seq !== this.#groupSeq) this.#flush();
    if (this.#groupSeq !== null && seq < this.#groupSeq) throw new Error('entries must come in order of chain_seq');
    this.#groupSeq = seq;
    this.#group.push(entry);
  }

  finish(): Finding[] {
    this.#flush();
    const chain = this.#chain;
    if (chain !== undefined) {
      while (this.#expected <= chain.lastSeq) {
        this.#removed(this.#expected, this.#expected === chain.lastSeq ? chain.lastId : null, 'missing up to the chain\'s head');
        this.#expected += 1n;
      }
    }
    return this.findings;
  }

  #flush(): void {
    const seq = this.#groupSeq;
    const group = this.#group;
    this.#group = [];
    this.#groupSeq = null;
    if (seq === null || group.length === 0) return;
    const chain = this.#chain;
    if (chain === undefined) {
      for (const entry of group) this.#add('inserted', entry, 'its chain has no head: the database never wrote an entry there');
      return;
    }
    if (seq < this.#expected) {
      for (const entry of group) this.#add('inserted', entry, seq <= (chain.archivedThroughSeq ?? 0n) ? 'numbered within the archived part of the chain' : 'a second entry with this number');
      return;
    }
    if (seq > chain.lastSeq) {
      for (const entry of group) this.#add('inserted', entry, 'numbered after the chain\'s head');
      return;
    }
    while (this.#expected < seq) {
      // Only the entry right before this one is named, by the link its successor kept.
      const namedBySuccessor = this.#expected === seq - 1n ? group.find((entry) => entry.prev_id !== null)?.prev_id ?? null : null;
      this.#removed(this.#expected, namedBySuccessor, 'missing from the chain');
      this.#expected += 1n;
      this.#previous = 'unknown';
    }
    const judged = group.map((entry) => ({ entry, hashOk: entryHash(entry) === entry.entry_hash, linkOk: this.#linksToPrevious(entry) }));
    const genuine = judged.find((j) => j.hashOk && j.linkOk);
    for (const j of judged) {
      if (j === genuine) continue;
      if (genuine !== undefined) this.#add('inserted', j.entry, 'a second entry with this number');
      else if (!j.hashOk) this.#add('altered', j.entry, 'its content does not match its hash');
      else this.#add('altered', j.entry, `it does not link to the entry before it${this.#previous !== null && this.#previous !== 'unknown' ? ` (id ${this.#previous.id})` : ''}: that one or this one was changed`);
    }
    const kept = (genuine ?? judged[0])?.entry;
    if (kept !== undefined) {
      if (seq === chain.lastSeq && (kept.id !== chain.lastId || kept.entry_hash !== chain.lastHash)) {
        this.#add('altered', kept, 'it does not match the chain\'s recorded head');
      }
      this.#previous = { id: kept.id ?? '', hash: kept.entry_hash };
    }
    this.#expected = seq + 1n;
  }

  #linksToPrevious(entry: StoredEntry): boolean {
    const previous = this.#previous;
    if (previous === 'unknown') return true;
    if (previous === null) return entry.prev_id === null && entry.prev_hash === null;
    return entry.prev_id === previous.id && entry.prev_hash === previous.hash;
  }

  #add(kind: FindingKind, entry: StoredEntry, reason: string): void {
    this.findings.push({ kind, chain: this.#chainKey, id: entry.id, seq: entry.chain_seq ?? '?', reason });
  }

  #removed(seq: bigint, id: string | null, reason: string): void {
    this.findings.push({ kind: 'removed', chain: this.#chainKey, id, seq: seq.toString(), reason });
  }
}

function parseSeq(value: string | null): bigint {
  if (value === null || !/^\d+$/.test(value)) throw new Error(`not a chain position: ${String(value)}`);
  return BigInt(value);
}

export type VerifyResult = { findings: Finding[]; chains: number; entries: number };

/** Every chain of the log, fed entries grouped by chain and ordered by (chain_seq, id) within it. */
export class LogVerifier {
  readonly #chains: Map<string, ChainRecord>;
  readonly #walkers = new Map<string, ChainWalker>();

  constructor(chains: readonly ChainRecord[]) {
    this.#chains = new Map(chains.map((chain) => [chain.chainKey, chain]));
  }

  push(entry: StoredEntry): void {
    const key = chainKeyOf(entry);
    let walker = this.#walkers.get(key);
    if (walker === undefined) {
      walker = new ChainWalker(key, this.#chains.get(key));
      this.#walkers.set(key, walker);
    }
    walker.push(entry);
  }

  finish(): VerifyResult {
    for (const [key, chain] of this.#chains) if (!this.#walkers.has(key)) this.#walkers.set(key, new ChainWalker(key, chain));
    const walkers = [...this.#walkers.values()];
    return {
      findings: walkers.flatMap((walker) => walker.finish()),
      chains: walkers.length,
      entries: walkers.reduce((sum, walker) => sum + walker.entries, 0),
    };
  }
}

export function verifyChains(chains: readonly ChainRecord[], entries: Iterable<StoredEntry>): VerifyResult {
  const verifier = new LogVerifier(chains);
  for (const entry of entries) verifier.push(entry);
  return verifier.finish();
}
