const express = require('express');
const session = require('express-session');

const app = express();
app.use(express.urlencoded({ extended: false }));
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));

app.get('/account/email', (req, res) => {
  res.send(`<form method="post" action="/account/email">
    <input name="email" type="email"> <button>Save</button>
  </form>`);
});

app.post('/account/email', (req, res) => {
  req.session.user.email = req.body.email;
  res.redirect('/account');
});

app.listen(3000);
