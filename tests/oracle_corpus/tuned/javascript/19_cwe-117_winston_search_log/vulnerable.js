const express = require('express');
const winston = require('winston');

const logger = winston.createLogger({
  format: winston.format.simple(),
  transports: [new winston.transports.File({ filename: 'search.log' })],
});
const app = express();

app.get('/search', (req, res) => {
  const q = String(req.query.q || '');
  logger.info(`search query="${q}" ip=${req.ip}`);
  res.json({ results: [] });
});

app.listen(3000);
