import https from 'node:https';
import { readFileSync } from 'node:fs';

const agent = new https.Agent({
  keepAlive: true,
  rejectUnauthorized: true,
  ca: readFileSync('/etc/ssl/partner-ca.pem'),
});

export function getShipment(trackingId) {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: 'api.partner-logistics.com', path: `/v1/shipments/${encodeURIComponent(trackingId)}`, agent,
        headers: { Authorization: `Bearer ${process.env.PARTNER_TOKEN}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { body += chunk; });
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
  });
}
