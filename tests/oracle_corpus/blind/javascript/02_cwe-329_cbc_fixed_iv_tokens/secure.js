import crypto from 'node:crypto';

const ENC_KEY = Buffer.from(process.env.TOKEN_ENC_KEY, 'hex'); // 32 bytes
const MAC_KEY = Buffer.from(process.env.TOKEN_MAC_KEY, 'hex'); // 32 bytes

export function encryptToken(plaintext) {
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', ENC_KEY, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = crypto.createHmac('sha256', MAC_KEY).update(Buffer.concat([iv, ciphertext])).digest();
  return Buffer.concat([iv, ciphertext, tag]).toString('base64');
}

export function decryptToken(stored) {
  const raw = Buffer.from(stored, 'base64');
  const iv = raw.subarray(0, 16);
  const ciphertext = raw.subarray(16, raw.length - 32);
  const tag = raw.subarray(raw.length - 32);
  const expected = crypto.createHmac('sha256', MAC_KEY).update(Buffer.concat([iv, ciphertext])).digest();
  if (tag.length !== 32 || !crypto.timingSafeEqual(tag, expected)) throw new Error('token was tampered with');
  const decipher = crypto.createDecipheriv('aes-256-cbc', ENC_KEY, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
}
