const crypto = require('crypto');

const KEY = Buffer.from(process.env.FIELD_KEY, 'hex'); // 32 bytes
const IV = Buffer.alloc(16, 0);

function encryptField(plaintext) {
  const iv = IV;
  const cipher = crypto.createCipheriv('aes-256-cbc', KEY, iv);
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, encrypted]).toString('base64');
}

function decryptField(encoded) {
  const raw = Buffer.from(encoded, 'base64');
  const decipher = crypto.createDecipheriv('aes-256-cbc', KEY, raw.subarray(0, 16));
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
}

module.exports = { encryptField, decryptField };
