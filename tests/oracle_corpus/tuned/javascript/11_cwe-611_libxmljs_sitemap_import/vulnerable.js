const express = require('express');
const libxmljs = require('libxmljs');

const app = express();
app.use(express.text({ type: ['application/xml', 'text/xml'], limit: '2mb' }));

app.post('/sitemaps/import', (req, res) => {
  let doc;
  try {
    doc = libxmljs.parseXml(req.body, { noent: true });
  } catch (err) {
    return res.status(400).json({ error: 'invalid XML' });
  }
  const ns = { s: 'http://www.sitemaps.org/schemas/sitemap/0.9' };
  const urls = doc.find('//s:url/s:loc', ns).map((node) => node.text());
  res.json({ count: urls.length, urls });
});

app.listen(3000);
