const express = require('express');

const app = express();
app.use(express.urlencoded({ extended: false }));

const EMAIL_RE = /^([a-zA-Z0-9]+([._-]?[a-zA-Z0-9]+)*)+@([a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}$/;

app.post('/newsletter', (req, res) => {
  const email = String(req.body.email || '');
  if (!EMAIL_RE.test(email)) {
    return res.status(400).send('Please enter a valid e-mail address.');
  }
  res.send('Thanks for subscribing!');
});

app.listen(3000);
