import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, type Hash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { S3Error } from './s3-errors.ts';

/**
 * The embedded S3 server's disk: every object is sealed with AES-256-GCM whatever the client asked
 * for, under a key derived (HKDF-SHA-256, random salt) per object from one master key kept in
 * `<root>/keys/master.key`. The bucket and key are the ciphertext's associated data, so an object's
 * file moved under another name no longer opens. File names are hashes of bucket and key: nothing
 * a client sends becomes a path.
 *
 * One file per object, replaced atomically by rename:
 *   'RXS3' | version 1 | salt (32) | body IV (12) | body ciphertext | body tag (16)
 *   | metadata IV (12) | metadata ciphertext (JSON) | metadata tag (16) | metadata length (uint32 BE)
 */

export type ObjectMeta = {
  size: number;
  contentType: string;
  /** Hex MD5 of the body: the ETag, as S3 gives for single-part uploads. */
  md5: string;
  /** Base64 SHA-256 of the body (x-amz-checksum-sha256). */
  sha256: string;
  lastModified: string;
};

export type BodyDigests = { size: number; md5: Buffer; sha256: Buffer; crc32: number };

/** A body written and sealed in a temporary file, not yet visible under its key. */
export type StagedObject = {
  digests: BodyDigests;
  commit(): Promise<ObjectMeta>;
  discard(): Promise<void>;
};

const MAGIC = Buffer.from('RXS3');
const VERSION = 1;
const SALT_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + SALT_BYTES + IV_BYTES;
const TRAILER_BYTES = 4;
const KEY_BYTES = 32;
const READ_CHUNK_BYTES = 64 * 1024;
const HKDF_INFO = Buffer.from('restartix-embedded-s3-object-v1');

const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)(?!xn--)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const isBucketName = (name: string): boolean => BUCKET_NAME.test(name) && !name.includes('..');

const nameHash = (bucket: string, key: string): string => createHash('sha256').update(bucket).update('\0').update(key).digest('hex');

const associatedData = (header: Buffer, bucket: string, key: string, part: 'body' | 'meta'): Buffer =>
  Buffer.concat([header, Buffer.from(`${bucket}\0${key}\0${part}`, 'utf8')]);

/** The master key: created once (32 random bytes, readable by this user only), then reused. */
async function loadMasterKey(keysDir: string): Promise<Buffer> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const file = join(keysDir, 'master.key');
  try {
    await writeFile(file, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  const key = await readFile(file);
  if (key.length !== KEY_BYTES) throw new Error(`${file} is not a ${String(KEY_BYTES)}-byte key`);
  return key;
}

export class EncryptedObjectStore {
  readonly #root: string;
  readonly #masterKey: Buffer;

  private constructor(root: string, masterKey: Buffer) {
    this.#root = root;
    this.#masterKey = masterKey;
  }

  /** Opens (or creates) the store under `root`: keys/, buckets/, tmp/. */
  static async open(root: string): Promise<EncryptedObjectStore> {
    const masterKey = await loadMasterKey(join(root, 'keys'));
    await mkdir(join(root, 'buckets'), { recursive: true, mode: 0o700 });
    // Uploads a crash interrupted: never committed, never to be.
    await rm(join(root, 'tmp'), { recursive: true, force: true });
    await mkdir(join(root, 'tmp'), { recursive: true, mode: 0o700 });
    return new EncryptedObjectStore(root, masterKey);
  }

  #bucketDir(bucket: string): string {
    return join(this.#root, 'buckets', bucket);
  }

  #objectPath(bucket: string, key: string): string {
    const hash = nameHash(bucket, key);
    return join(this.#bucketDir(bucket), hash.slice(0, 2), hash);
  }

  #objectKey(salt: Buffer): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#masterKey, salt, HKDF_INFO, KEY_BYTES));
  }

  async bucketExists(bucket: string): Promise<boolean> {
    return stat(this.#bucketDir(bucket)).then((found) => found.isDirectory(), () => false);
  }

  async createBucket(bucket: string): Promise<void> {
    await mkdir(this.#bucketDir(bucket), { recursive: true, mode: 0o700 });
  }

  /**
   * Reads `body` to its end, sealing it into a temporary file while hashing the plaintext. The
   * caller checks the digests against what the request declared, then commits or discards.
   */
  async stage(bucket: string, key: string, body: AsyncIterable<Buffer>, contentType: string, maxBytes: number): Promise<StagedObject> {
    const salt = randomBytes(SALT_BYTES);
    const iv = randomBytes(IV_BYTES);
    const header = Buffer.concat([MAGIC, Buffer.from([VERSION]), salt, iv]);
    const objectKey = this.#objectKey(salt);
    const cipher = createCipheriv('aes-256-gcm', objectKey, iv);
    cipher.setAAD(associatedData(header, bucket, key, 'body'));
    const tmp = join(this.#root, 'tmp', randomBytes(16).toString('hex'));
    const file = await open(tmp, 'wx', 0o600);
    const md5: Hash = createHash('md5');
    const sha256: Hash = createHash('sha256');
    let checksum = 0;
    let size = 0;
    const discard = async () => {
      await file.close().catch(() => undefined);
      await rm(tmp, { force: true });
    };
    try {
      await file.write(header);
      for await (const chunk of body) {
        size += chunk.length;
        if (size > maxBytes) throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size.');
        md5.update(chunk);
        sha256.update(chunk);
        checksum = crc32(chunk, checksum);
        await file.write(cipher.update(chunk));
      }
      const rest = cipher.final();
      await file.write(Buffer.concat([rest, cipher.getAuthTag()]));
    } catch (error) {
      await discard();
      throw error;
    }
    const digests: BodyDigests = { size, md5: md5.digest(), sha256: sha256.digest(), crc32: checksum };
    return {
      digests,
      discard,
      commit: async () => {
        const meta: ObjectMeta = {
          size,
          contentType,
          md5: digests.md5.toString('hex'),
          sha256: digests.sha256.toString('base64'),
          lastModified: new Date().toISOString(),
        };
        try {
          await file.write(this.#sealMeta(objectKey, header, bucket, key, meta));
          await file.sync();
          await file.close();
          const target = this.#objectPath(bucket, key);
          await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
          await rename(tmp, target);
          return meta;
        } catch (error) {
          await discard();
          throw error;
        }
      },
    };
  }

  #sealMeta(objectKey: Buffer, header: Buffer, bucket: string, key: string, meta: ObjectMeta): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', objectKey, iv);
    cipher.setAAD(associatedData(header, bucket, key, 'meta'));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(meta), 'utf8'), cipher.final()]);
    const length = Buffer.alloc(TRAILER_BYTES);
    length.writeUInt32BE(sealed.length);
    return Buffer.concat([iv, sealed, cipher.getAuthTag(), length]);
  }

  /** An object's header, key and metadata, or null when there is no such object. */
  async #openObject(bucket: string, key: string): Promise<{ file: FileHandle; header: Buffer; objectKey: Buffer; meta: ObjectMeta } | null> {
    let file: FileHandle;
    try {
      file = await open(this.#objectPath(bucket, key), 'r');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const { size: fileSize } = await file.stat();
      const header = Buffer.alloc(HEADER_BYTES);
      await file.read(header, 0, HEADER_BYTES, 0);
      if (!header.subarray(0, MAGIC.length).equals(MAGIC) || header[MAGIC.length] !== VERSION) throw new Error('not an object file of this store');
      const trailer = Buffer.alloc(TRAILER_BYTES);
      await file.read(trailer, 0, TRAILER_BYTES, fileSize - TRAILER_BYTES);
      const sealedLength = trailer.readUInt32BE();
      const metaStart = fileSize - TRAILER_BYTES - TAG_BYTES - sealedLength - IV_BYTES;
      if (metaStart < HEADER_BYTES + TAG_BYTES) throw new Error('truncated object file');
      const metaBlob = Buffer.alloc(IV_BYTES + sealedLength + TAG_BYTES);
      await file.read(metaBlob, 0, metaBlob.length, metaStart);
      const salt = header.subarray(MAGIC.length + 1, MAGIC.length + 1 + SALT_BYTES);
      const objectKey = this.#objectKey(salt);
      const decipher = createDecipheriv('aes-256-gcm', objectKey, metaBlob.subarray(0, IV_BYTES));
      decipher.setAAD(associatedData(header, bucket, key, 'meta'));
      decipher.setAuthTag(metaBlob.subarray(IV_BYTES + sealedLength));
      const json = Buffer.concat([decipher.update(metaBlob.subarray(IV_BYTES, IV_BYTES + sealedLength)), decipher.final()]).toString('utf8');
      const meta = JSON.parse(json) as ObjectMeta;
      if (metaStart !== HEADER_BYTES + meta.size + TAG_BYTES) throw new Error('object file length does not match its metadata');
      return { file, header, objectKey, meta };
    } catch (error) {
      await file.close();
      throw new S3Error('InternalError', `the stored object cannot be opened: ${(error as Error).message}`);
    }
  }

  async head(bucket: string, key: string): Promise<ObjectMeta | null> {
    const opened = await this.#openObject(bucket, key);
    if (opened === null) return null;
    await opened.file.close();
    return opened.meta;
  }

  /** The plaintext of an opened object, in chunks, read by position from the one open file. */
  async *#plaintext(file: FileHandle, opened: { header: Buffer; objectKey: Buffer; meta: ObjectMeta; tag: Buffer }, bucket: string, key: string): AsyncGenerator<Buffer> {
    const decipher = createDecipheriv('aes-256-gcm', opened.objectKey, opened.header.subarray(HEADER_BYTES - IV_BYTES));
    decipher.setAAD(associatedData(opened.header, bucket, key, 'body'));
    decipher.setAuthTag(opened.tag);
    const end = HEADER_BYTES + opened.meta.size;
    for (let position = HEADER_BYTES; position < end;) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK_BYTES, end - position));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) throw new Error('truncated object file');
      position += bytesRead;
      yield decipher.update(chunk.subarray(0, bytesRead));
    }
    yield decipher.final();
  }

  /**
   * The object's plaintext. The whole ciphertext is authenticated first (GCM checks its tag only at
   * the end), so a tampered file is refused before a single byte of it is sent. Both passes read
   * the one open file, so a concurrent replacement cannot slip in between them.
   */
  async read(bucket: string, key: string): Promise<{ meta: ObjectMeta; body: Readable } | null> {
    const opened = await this.#openObject(bucket, key);
    if (opened === null) return null;
    const { file } = opened;
    const parts = { ...opened, tag: Buffer.alloc(TAG_BYTES) };
    try {
      await file.read(parts.tag, 0, TAG_BYTES, HEADER_BYTES + opened.meta.size);
      for await (const _ of this.#plaintext(file, parts, bucket, key)) { /* authenticate only */ }
    } catch (error) {
      await file.close();
      throw new S3Error('InternalError', `the stored object failed authentication: ${(error as Error).message}`);
    }
    const plaintext = this.#plaintext(file, parts, bucket, key);
    async function* thenClose(): AsyncGenerator<Buffer> {
      try {
        yield* plaintext;
      } finally {
        await file.close();
      }
    }
    return { meta: opened.meta, body: Readable.from(thenClose(), { objectMode: false }) };
  }

  /** Deletes an object; deleting one that is not there succeeds, as in S3. */
  async delete(bucket: string, key: string): Promise<void> {
    await rm(this.#objectPath(bucket, key), { force: true });
  }

  /** Where an object's sealed file lives: for tests that look at the disk from an attacker's side. */
  pathOf(bucket: string, key: string): string {
    return this.#objectPath(bucket, key);
  }
}
