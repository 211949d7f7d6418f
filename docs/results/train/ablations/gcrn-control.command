CORPUS=/work/corpus-v1 EPOCHS=4 STEPS=200 VAL_ITEMS=48 VAL_SNR=-5,5 LIMIT=50 SEED=0 ARCH=gcrn bash tools/experiments/ablations.sh run control  # flags: --loss mse --talker-noise 0.5 
