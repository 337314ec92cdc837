const express = require('express');
const winston = require('winston');
const { sendResetEmail } = require('./mailer');

const logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.simple()),
  transports: [new winston.transports.File({ filename: 'security.log' })],
});

const router = express.Router();

router.post('/password/forgot', express.json(), async (req, res) => {
  const email = String(req.body.email || '').slice(0, 254);
  const safeEmail = email.replace(/[\r\n\u2028\u2029]/g, '_');
  logger.info(`password reset requested for ${safeEmail} from ${req.ip}`);
  try {
    await sendResetEmail(email);
  } catch (err) {
    logger.error(`reset mail failed: ${err.message}`);
  }
  res.json({ ok: true });
});

module.exports = router;
