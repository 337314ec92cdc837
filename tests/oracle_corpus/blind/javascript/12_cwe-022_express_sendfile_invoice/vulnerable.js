const express = require('express');
const path = require('path');
const { requireLogin } = require('./auth');

const INVOICE_DIR = path.join(__dirname, 'storage', 'invoices');
const router = express.Router();

router.get('/invoices/:file', requireLogin, (req, res) => {
  const filePath = path.join(INVOICE_DIR, String(req.user.id), req.params.file);
  res.sendFile(filePath, { headers: { 'Content-Type': 'application/pdf' } }, (err) => {
    if (err && !res.headersSent) res.status(err.status || 404).end();
  });
});

module.exports = router;
