// Where `npm start` leaves the router secret of the graph it runs (git-ignored, readable by its user only), so that
// `npm run bench` can put Hive Gateway in front of the same subgraphs.
import path from 'node:path';

export const ROUTER_SECRET_FILE = path.resolve(__dirname, '../../.data/router-secret');
