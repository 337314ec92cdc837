const express = require('express');
const yaml = require('js-yaml');

const app = express();
app.use(express.text({ type: ['application/yaml', 'text/yaml'] }));

app.post('/deployments', (req, res) => {
  let manifest;
  try {
    manifest = yaml.safeLoad(req.body);
  } catch (err) {
    return res.status(400).json({ error: `invalid YAML: ${err.message}` });
  }
  const services = Object.keys((manifest && manifest.services) || {});
  res.status(201).json({ services });
});

app.listen(3000);
