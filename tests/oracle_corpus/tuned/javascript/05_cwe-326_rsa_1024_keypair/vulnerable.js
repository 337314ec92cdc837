const { generateKeyPairSync } = require('crypto');
const fs = require('fs');
const path = require('path');

function generateLicenseKeys(outDir, passphrase) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  });
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'license_public.pem'), publicKey);
  fs.writeFileSync(path.join(outDir, 'license_private.pem'), privateKey, { mode: 0o600 });
}

if (require.main === module) {
  generateLicenseKeys(process.argv[2] || './keys', process.env.KEY_PASSPHRASE);
}

module.exports = { generateLicenseKeys };
