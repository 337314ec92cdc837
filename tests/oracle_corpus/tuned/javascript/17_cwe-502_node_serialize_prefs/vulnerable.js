const express = require('express');
const cookieParser = require('cookie-parser');
const serialize = require('node-serialize');

const app = express();
app.use(cookieParser());

app.get('/dashboard', (req, res) => {
  let prefs = { theme: 'light', pageSize: 20 };
  if (req.cookies.prefs) {
    const raw = Buffer.from(req.cookies.prefs, 'base64').toString('utf8');
    prefs = serialize.unserialize(raw);
  }
  res.render('dashboard', { prefs });
});

app.listen(3000);
