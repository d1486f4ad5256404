// The types of dist/doctor.mjs: those of its source.
export { type Diagnosis, diagnose, nodeTransport, type Transport } from '../src/doctor';
