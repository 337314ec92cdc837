const crypto = require('crypto');
const fs = require('fs/promises');

const MASTER_KEY = Buffer.from(process.env.BACKUP_KEY, 'base64');
const NONCE = Buffer.from('a1b2c3d4e5f60718293a4b5c', 'hex');

async function encryptFileForUpload(filePath) {
  const plaintext = await fs.readFile(filePath);
  const nonce = NONCE;
  const cipher = crypto.createCipheriv('aes-256-gcm', MASTER_KEY, nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  // layout: nonce (12) | tag (16) | ciphertext
  return Buffer.concat([nonce, tag, ciphertext]);
}

module.exports = { encryptFileForUpload };
