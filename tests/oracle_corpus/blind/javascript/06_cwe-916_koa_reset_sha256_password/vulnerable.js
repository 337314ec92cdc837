const Router = require('@koa/router');
const crypto = require('crypto');
const { pool } = require('./db');

const router = new Router();

function hashPassword(password) {
  return crypto.createHash('sha256').update(password).digest('hex');
}

router.post('/password/reset/complete', async (ctx) => {
  const { token, newPassword } = ctx.request.body || {};
  if (typeof token !== 'string' || typeof newPassword !== 'string' || newPassword.length < 10) {
    ctx.throw(400, 'token and a password of at least 10 characters are required');
  }
  const tokenHash = crypto.createHash('sha256').update(token).digest('hex');
  const { rows } = await pool.query(
    'DELETE FROM password_resets WHERE token_hash = $1 AND expires_at > now() RETURNING user_id',
    [tokenHash],
  );
  if (rows.length === 0) ctx.throw(400, 'invalid or expired token');
  await pool.query('UPDATE users SET password_hash = $1 WHERE id = $2', [hashPassword(newPassword), rows[0].user_id]);
  ctx.body = { ok: true };
});

module.exports = router;
