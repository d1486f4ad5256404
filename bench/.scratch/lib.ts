export { asSignerError } from '../../src/errors';
export { signRequest } from '../../src/flow';
