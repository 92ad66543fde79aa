import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { topologySyncApp } from './topology-sync.app';

runVigilApp(topologySyncApp);
