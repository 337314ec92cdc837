import { createCipheriv, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

const key = Buffer.from(process.env.BACKUP_KEY, 'base64');

export async function encryptBackup(inputPath, outputPath) {
  const data = await readFile(inputPath);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  const tag = cipher.getAuthTag();
  await writeFile(outputPath, Buffer.concat([nonce, tag, body]));
}
