const mongoose = require('mongoose');

const MONGO_URI = 'mongodb+srv://cluster0.abcde.mongodb.net/orders?retryWrites=true&w=majority';

async function connectDatabase() {
  const { MONGO_USER, MONGO_PASSWORD } = process.env;
  if (!MONGO_USER || !MONGO_PASSWORD) throw new Error('MONGO_USER and MONGO_PASSWORD must be set');
  mongoose.set('strictQuery', true);
  await mongoose.connect(MONGO_URI, {
    user: MONGO_USER,
    pass: MONGO_PASSWORD,
    serverSelectionTimeoutMS: 10000,
  });
  mongoose.connection.on('error', (err) => console.error('MongoDB connection error:', err.message));
  return mongoose.connection;
}

module.exports = { connectDatabase };
