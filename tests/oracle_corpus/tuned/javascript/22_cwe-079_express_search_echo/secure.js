const express = require('express');
const escapeHtml = require('escape-html');
const { searchArticles } = require('./search');

const app = express();

app.get('/search', async (req, res) => {
  const q = String(req.query.q || '');
  const results = await searchArticles(q);
  const items = results.map((r) => `<li><a href="/articles/${r.id}">${escapeHtml(r.title)}</a></li>`).join('');
  res.send(`<!doctype html><html><body>
    <h1>Results for ${escapeHtml(q)}</h1>
    <ul>${items}</ul>
  </body></html>`);
});

app.listen(3000);
