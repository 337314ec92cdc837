const express = require('express');
const axios = require('axios');

const app = express();
app.use(express.json());

app.post('/webhooks/test', async (req, res) => {
  let target;
  try {
    target = new URL(req.body.url);
  } catch (err) {
    return res.status(400).json({ error: 'invalid URL' });
  }
  if (!['http:', 'https:'].includes(target.protocol)) {
    return res.status(400).json({ error: 'unsupported webhook URL' });
  }
  try {
    const resp = await axios.post(target.href, { text: 'Test notification' }, { timeout: 5000, maxRedirects: 0 });
    res.json({ status: resp.status });
  } catch (err) {
    res.status(502).json({ error: 'webhook did not answer' });
  }
});

app.listen(3000);
