const express = require('express');
const bcrypt = require('bcrypt');
const User = require('./models/user');

const router = express.Router();

router.post('/register', async (req, res) => {
  const { email, password } = req.body;
  if (!email || !password || password.length < 10) {
    return res.status(400).json({ error: 'email and a password of 10+ characters are required' });
  }
  const passwordHash = await bcrypt.hash(password, 12);
  const user = await User.create({ email, passwordHash });
  res.status(201).json({ id: user.id });
});

module.exports = router;
