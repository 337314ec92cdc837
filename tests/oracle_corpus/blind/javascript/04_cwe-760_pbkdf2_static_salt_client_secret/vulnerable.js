const crypto = require('crypto');

const SALT = 'acme-api-clients';
const ITERATIONS = 310000;

function hashClientSecret(secret) {
  const salt = SALT;
  const hash = crypto.pbkdf2Sync(secret, salt, ITERATIONS, 32, 'sha256');
  return `pbkdf2$${ITERATIONS}$${salt}$${hash.toString('hex')}`;
}

function verifyClientSecret(secret, stored) {
  const [scheme, iterations, salt, hashHex] = stored.split('$');
  if (scheme !== 'pbkdf2') return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = crypto.pbkdf2Sync(secret, salt, Number(iterations), expected.length, 'sha256');
  return crypto.timingSafeEqual(actual, expected);
}

module.exports = { hashClientSecret, verifyClientSecret };
