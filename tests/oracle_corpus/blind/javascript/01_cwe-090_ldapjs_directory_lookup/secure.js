const express = require('express');
const ldap = require('ldapjs');

const router = express.Router();
const BASE_DN = 'ou=people,dc=example,dc=com';

function escapeFilterValue(value) {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function searchDirectory(filter) {
  return new Promise((resolve, reject) => {
    const client = ldap.createClient({ url: process.env.LDAP_URL });
    client.bind(process.env.LDAP_BIND_DN, process.env.LDAP_BIND_PASSWORD, (bindErr) => {
      if (bindErr) {
        client.unbind();
        return reject(bindErr);
      }
      const opts = { filter, scope: 'sub', attributes: ['cn', 'mail', 'telephoneNumber'], sizeLimit: 10 };
      client.search(BASE_DN, opts, (err, res) => {
        if (err) {
          client.unbind();
          return reject(err);
        }
        const entries = [];
        res.on('searchEntry', (entry) => entries.push(entry.pojo));
        res.on('error', (e) => { client.unbind(); reject(e); });
        res.on('end', () => { client.unbind(); resolve(entries); });
      });
    });
  });
}

router.get('/directory/lookup', async (req, res) => {
  const email = String(req.query.email || '');
  if (!email) return res.status(400).json({ error: 'email is required' });
  try {
    const filter = `(&(objectClass=person)(mail=${escapeFilterValue(email)}))`;
    res.json(await searchDirectory(filter));
  } catch (err) {
    res.status(502).json({ error: 'directory unavailable' });
  }
});

module.exports = router;
