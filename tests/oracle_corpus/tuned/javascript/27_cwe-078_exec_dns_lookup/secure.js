const express = require('express');
const { execFile } = require('child_process');

const app = express();
const HOSTNAME_RE = /^[a-zA-Z0-9.-]{1,253}$/;

app.get('/admin/dns', (req, res) => {
  const domain = String(req.query.domain || '');
  if (!HOSTNAME_RE.test(domain) || domain.startsWith('-')) {
    return res.status(400).json({ error: 'invalid domain' });
  }
  execFile('nslookup', [domain], { timeout: 10000 }, (err, stdout) => {
    if (err) {
      return res.status(500).json({ error: 'lookup failed' });
    }
    res.type('text/plain').send(stdout);
  });
});

app.listen(3000);
