const nodemailer = require('nodemailer');

const transporter = nodemailer.createTransport({
  host: process.env.SMTP_HOST,
  port: 587,
  secure: false,
  requireTLS: true,
  auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS },
  tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2' },
});

async function sendNightlyReport(recipients, reportHtml, csvBuffer) {
  const info = await transporter.sendMail({
    from: process.env.REPORT_FROM || 'reports@example.com',
    to: recipients.join(', '),
    subject: `Nightly report ${new Date().toISOString().slice(0, 10)}`,
    html: reportHtml,
    attachments: [{ filename: 'report.csv', content: csvBuffer, contentType: 'text/csv' }],
  });
  return info.messageId;
}

module.exports = { sendNightlyReport };
