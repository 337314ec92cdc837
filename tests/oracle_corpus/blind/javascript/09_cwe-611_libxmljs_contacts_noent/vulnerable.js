const express = require('express');
const libxmljs = require('libxmljs');

const router = express.Router();

router.post('/contacts/import', express.text({ type: ['application/xml', 'text/xml'], limit: '1mb' }), (req, res) => {
  let doc;
  try {
    doc = libxmljs.parseXml(req.body, { noent: true, nonet: false });
  } catch (err) {
    return res.status(400).json({ error: 'malformed XML' });
  }
  const contacts = doc.find('//contact').map((node) => ({
    name: node.get('name') ? node.get('name').text() : '',
    email: node.get('email') ? node.get('email').text() : '',
  }));
  res.json({ imported: contacts.length, contacts });
});

module.exports = router;
