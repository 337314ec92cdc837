const express = require('express');
const jwt = require('jsonwebtoken');
const { checkLogin } = require('./users');

const JWT_SECRET = process.env.JWT_SECRET;
if (!JWT_SECRET) {
  throw new Error('JWT_SECRET is not set');
}
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
