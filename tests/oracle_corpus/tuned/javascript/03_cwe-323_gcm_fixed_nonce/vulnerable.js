import { createCipheriv, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

const key = Buffer.from(process.env.BACKUP_KEY, 'base64');
const NONCE = Buffer.from('a3f1c29b7e4d0c55d1e2f3a4', 'hex');

export async function encryptBackup(inputPath, outputPath) {
  const data = await readFile(inputPath);
  const nonce = NONCE;
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  const tag = cipher.getAuthTag();
  await writeFile(outputPath, Buffer.concat([nonce, tag, body]));
}
