const crypto = require('crypto');
const fs = require('fs/promises');

const MASTER_KEY = Buffer.from(process.env.BACKUP_KEY, 'base64');

async function encryptFileForUpload(filePath) {
  const plaintext = await fs.readFile(filePath);
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', MASTER_KEY, nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  // layout: nonce (12) | tag (16) | ciphertext
  return Buffer.concat([nonce, tag, ciphertext]);
}

module.exports = { encryptFileForUpload };
