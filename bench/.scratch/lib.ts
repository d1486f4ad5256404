export { asSignerError } from '../../src/errors';
export { signRequest } from '../../src/flow';
export { brunoHost } from '../../src/hosts/bru';
export { insomniaHost } from '../../src/hosts/insomnia';
export { postmanHost } from '../../src/hosts/pm';
