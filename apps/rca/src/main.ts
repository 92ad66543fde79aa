import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { rcaApp } from './rca.app';

runVigilApp(rcaApp);
