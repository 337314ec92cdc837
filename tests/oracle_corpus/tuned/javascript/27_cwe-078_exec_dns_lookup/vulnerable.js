const express = require('express');
const { exec } = require('child_process');

const app = express();

app.get('/admin/dns', (req, res) => {
  const domain = String(req.query.domain || '');
  exec(`nslookup ${domain}`, { timeout: 10000 }, (err, stdout) => {
    if (err) {
      return res.status(500).json({ error: 'lookup failed' });
    }
    res.type('text/plain').send(stdout);
  });
});

app.listen(3000);
