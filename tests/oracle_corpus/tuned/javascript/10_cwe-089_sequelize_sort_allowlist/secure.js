const express = require('express');
const { Sequelize, QueryTypes } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL);
const app = express();
const SORT_COLUMNS = ['published_at', 'title', 'views'];

app.get('/articles', async (req, res) => {
  const tag = req.query.tag || 'news';
  const sort = SORT_COLUMNS.includes(req.query.sort) ? req.query.sort : 'published_at';
  const articles = await sequelize.query(
    `SELECT id, title, views, published_at FROM articles WHERE tag = :tag ORDER BY ${sort} DESC LIMIT 20`,
    { replacements: { tag }, type: QueryTypes.SELECT }
  );
  res.json(articles);
});

app.listen(3000);
