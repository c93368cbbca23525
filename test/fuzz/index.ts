// The fuzz's generators and runner: valid operations from a schema, hostile requests, and the checks on every answer.
export { problemsWith } from './answer-checks';
export { Campaign, type Exchange, type Failure, type KnownCrash, type KnownFailure } from './campaign';
export { foundRequests, type FoundRequest } from './found-requests';
export { describeAnswer, describeRequest, exchange, type Answer, type RawRequest } from './exchange';
export { hostileBodies, type Body, type BodySources } from './hostile-bodies';
export { hostileRequest, operationRequest, type Credentials } from './http-requests';
export { InputValues, type KnownValues } from './input-values';
export { Operations, type GeneratedOperation } from './operations';
