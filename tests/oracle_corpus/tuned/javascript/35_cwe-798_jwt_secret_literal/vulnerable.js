const express = require('express');
const jwt = require('jsonwebtoken');
const { checkLogin } = require('./users');

const JWT_SECRET = 'sUp3r-s3cret-JWT-k3y-2024!';
const app = express();
app.use(express.json());

app.post('/token', async (req, res) => {
  const user = await checkLogin(req.body.username, req.body.password);
  if (!user) {
    return res.status(401).json({ error: 'invalid credentials' });
  }
  const token = jwt.sign({ sub: user.id, role: user.role }, JWT_SECRET, { expiresIn: '15m' });
  res.json({ token });
});

app.listen(3000);
