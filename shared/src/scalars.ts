// The scalars the API uses, all from graphql-scalars.
export { DateTimeResolver as DateTime, JSONObjectResolver as JSONObject, JSONResolver as JSONScalar, SafeIntResolver as SafeInt, DateResolver as DateScalar } from 'graphql-scalars';
