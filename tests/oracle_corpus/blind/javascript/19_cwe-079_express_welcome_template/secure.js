const escapeHtml = require('escape-html');
const express = require('express');

const app = express();

app.get('/welcome', (req, res) => {
  const name = typeof req.query.name === 'string' ? req.query.name : 'guest';
  res.send(`<!doctype html>
<html>
  <head><title>Welcome</title></head>
  <body>
    <h1>Welcome, ${escapeHtml(name)}!</h1>
    <p>Your workspace is ready.</p>
  </body>
</html>`);
});

module.exports = app;
