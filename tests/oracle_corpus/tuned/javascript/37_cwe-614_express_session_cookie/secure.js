const express = require('express');
const crypto = require('crypto');
const { verifyUser, sessions } = require('./auth');

const app = express();
app.use(express.urlencoded({ extended: false }));

app.post('/login', async (req, res) => {
  const user = await verifyUser(req.body.email, req.body.password);
  if (!user) {
    return res.status(401).send('Invalid credentials');
  }
  const sid = crypto.randomBytes(32).toString('hex');
  await sessions.set(sid, user.id);
  res.cookie('sid', sid, { maxAge: 8 * 3600 * 1000, httpOnly: true, secure: true, sameSite: 'lax' });
  res.redirect('/');
});

app.listen(3000);
