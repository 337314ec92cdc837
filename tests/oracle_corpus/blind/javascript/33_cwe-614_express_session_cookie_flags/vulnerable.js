const express = require('express');
const bcrypt = require('bcrypt');
const crypto = require('crypto');
const { findUserByEmail, createSession } = require('./store');

const router = express.Router();
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

router.post('/login', express.json(), async (req, res, next) => {
  try {
    const { email, password } = req.body || {};
    const user = await findUserByEmail(String(email || ''));
    if (!user || !(await bcrypt.compare(String(password || ''), user.passwordHash))) {
      return res.status(401).json({ error: 'invalid email or password' });
    }
    const token = crypto.randomBytes(32).toString('hex');
    await createSession(user.id, token, WEEK_MS);
    res.cookie('session', token, { maxAge: WEEK_MS });
    res.json({ ok: true });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
