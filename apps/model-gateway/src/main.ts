import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { modelGatewayApp } from './model-gateway.app';

runVigilApp(modelGatewayApp);
