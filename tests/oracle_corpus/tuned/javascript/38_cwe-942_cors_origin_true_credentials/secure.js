const express = require('express');
const cors = require('cors');

const app = express();

app.use(cors({
  origin: ['https://app.example.com', 'https://staging.example.com'],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
}));

app.get('/api/account', (req, res) => {
  res.json({ user: req.session && req.session.user });
});

app.listen(3000);
