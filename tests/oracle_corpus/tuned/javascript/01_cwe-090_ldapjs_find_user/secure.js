const express = require('express');
const ldap = require('ldapjs');

const app = express();
const BASE_DN = 'ou=people,dc=example,dc=com';

function searchOne(client, base, opts) {
  return new Promise((resolve, reject) => {
    client.search(base, opts, (err, res) => {
      if (err) return reject(err);
      let found = null;
      res.on('searchEntry', (entry) => { found = entry.pojo; });
      res.on('error', reject);
      res.on('end', () => resolve(found));
    });
  });
}

app.get('/api/employees/:uid', async (req, res) => {
  const client = ldap.createClient({ url: process.env.LDAP_URL });
  try {
    await new Promise((resolve, reject) =>
      client.bind(process.env.LDAP_BIND_DN, process.env.LDAP_BIND_PW, (err) => (err ? reject(err) : resolve())));
    const opts = {
      filter: new ldap.AndFilter({
        filters: [
          new ldap.EqualityFilter({ attribute: 'objectClass', value: 'person' }),
          new ldap.EqualityFilter({ attribute: 'uid', value: req.params.uid }),
        ],
      }),
      scope: 'sub',
      attributes: ['cn', 'mail', 'title'],
    };
    const entry = await searchOne(client, BASE_DN, opts);
    if (!entry) return res.status(404).json({ error: 'not found' });
    res.json(entry);
  } catch (err) {
    res.status(500).json({ error: 'directory error' });
  } finally {
    client.unbind();
  }
});

app.listen(3000);
