const express = require('express');
const winston = require('winston');

const logger = winston.createLogger({
  format: winston.format.simple(),
  transports: [new winston.transports.File({ filename: 'search.log' })],
});
const app = express();

app.get('/search', (req, res) => {
  const q = String(req.query.q || '');
  const safeQ = q.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  logger.info(`search query="${safeQ}" ip=${req.ip}`);
  res.json({ results: [] });
});

app.listen(3000);
