const express = require('express');
const ejs = require('ejs');
const { findUserByHandle } = require('./users');

const PROFILE_TEMPLATE = `
<section class="profile">
  <h1><%= user.displayName %></h1>
  <p class="handle">@<%= user.handle %></p>
  <div class="bio"><%- user.bio %></div>
</section>`;

const router = express.Router();

router.get('/u/:handle', async (req, res, next) => {
  try {
    const user = await findUserByHandle(req.params.handle);
    if (!user) return res.status(404).send('No such user');
    res.send(ejs.render(PROFILE_TEMPLATE, { user }));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
