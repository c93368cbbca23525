// The token of an emailed link, as every input that takes one checks it.
import { text } from '@orgapi/shared';

// Tokens are 43 characters; anything much longer is not one, and need not be hashed to find that out.
export const linkToken = text().trim().min(1, 'Enter the token from the link in the email.').max(200, 'This is not a token from one of our emails.');
